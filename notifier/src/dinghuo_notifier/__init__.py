"""Dinghuo's reference notifier (B-4): an external subscriber of the `dinghuo.events`
exchange that delivers `notify.delivery_requested` messages by SMS (Alibaba Cloud or
Tencent Cloud), WeChat template message or a development outbox file, and answers each
with `notify.delivery_reported` (N-2, C-8)."""
