"""Who may call the contact endpoints: the supplier's contacts are settings (X-1)."""

from servicekit.auth import require_permission

SettingsQuery = require_permission("settings:query")
SettingsModify = require_permission("settings:modify")
