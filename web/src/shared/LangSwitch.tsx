import { GlobalOutlined } from "@ant-design/icons";
import { Button, Dropdown } from "antd";
import { useTranslation } from "react-i18next";
import { setLanguage } from "../i18n";

export function LangSwitch({ light = false }: { light?: boolean }) {
  const { i18n, t } = useTranslation();
  return (
    <Dropdown
      menu={{
        selectedKeys: [i18n.language],
        items: [
          { key: "zh-CN", label: "简体中文" },
          { key: "en-US", label: "English" },
        ],
        onClick: ({ key }) => setLanguage(key as "zh-CN" | "en-US"),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} aria-label={t("common.language")}
        style={light ? { color: "rgba(255,255,255,0.85)" } : undefined}>
        {i18n.language === "en-US" ? "EN" : "中文"}
      </Button>
    </Dropdown>
  );
}
