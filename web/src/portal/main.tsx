import React from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import "../i18n";
import { AuthProvider } from "../shared/auth";
import { Providers } from "../shared/Providers";
import "../shared/app.css";
import { PortalApp } from "./PortalApp";

createRoot(document.getElementById("root")!).render(
  <React.StrictMode>
    <Providers>
      <AuthProvider kind="customer">
        <BrowserRouter>
          <PortalApp />
        </BrowserRouter>
      </AuthProvider>
    </Providers>
  </React.StrictMode>,
);
