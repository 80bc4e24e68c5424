"""Every kind of staff prompt and customer message the notify service produces has a
label in both languages of the web app, so no raw key such as `return_requested` reaches
a screen (N-3, N-5)."""

import json
from pathlib import Path

import pytest
from notify_service.messages.templates import MessageKind
from notify_service.prompts.templates import PromptKind

I18N = Path(__file__).resolve().parents[1] / "web" / "src" / "i18n"


@pytest.mark.parametrize("lang", ["zh-CN", "en-US"])
def test_every_prompt_and_message_kind_has_a_label(lang):
    texts = json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))
    assert [k.value for k in PromptKind if k.value not in texts["prompt"]["kind"]] == []
    assert [k.value for k in MessageKind if k.value not in texts["inbox"]["kind"]] == []
