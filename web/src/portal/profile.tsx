import { createContext, useContext } from "react";
import type { Schemas } from "../api/client";

export type Profile = Schemas["CustomerOut"];

export interface ProfileState {
  profile: Profile | undefined;
  reload: () => void;
}

export const ProfileContext = createContext<ProfileState>({ profile: undefined, reload: () => {} });

/** The logged-in customer's company (GET /api/portal/profile), loaded by the layout. */
export function useProfile(): ProfileState {
  return useContext(ProfileContext);
}
