#!/bin/sh
# Entrypoint of the Dinghuo image. With arguments, run them as given (compose and k8s
# name the exact process). Without, choose it from the environment:
#   DINGHUO_SERVICE  customer | order | invoice | points | servicedesk | notify | gateway
#   DINGHUO_ROLE     api (default) | worker | migrate
#   PORT             overrides the service's default port for `api`
set -eu

if [ "$#" -gt 0 ]; then
    exec "$@"
fi

role="${DINGHUO_ROLE:-api}"
if [ "$role" = "migrate" ]; then
    exec python tools/system.py setup
fi

service="${DINGHUO_SERVICE:-}"
case "$service" in
    customer)    pkg=customer_service;    port=8101 ;;
    order)       pkg=order_service;       port=8102 ;;
    invoice)     pkg=invoice_service;     port=8103 ;;
    points)      pkg=points_service;      port=8104 ;;
    servicedesk) pkg=servicedesk_service; port=8105 ;;
    notify)      pkg=notify_service;      port=8106 ;;
    gateway)     pkg=dinghuo_gateway;     port=8080 ;;
    *)
        echo "Set DINGHUO_SERVICE to customer, order, invoice, points, servicedesk, notify" \
             "or gateway (and DINGHUO_ROLE to api, worker or migrate), or pass a command." >&2
        exit 64 ;;
esac

case "$role" in
    api)
        # The gateway alone reads X-Forwarded-For, and only from GATEWAY_TRUSTED_PROXIES;
        # uvicorn's own proxy-header rewriting would let any peer choose its address.
        exec uvicorn "$pkg.app:app" --host 0.0.0.0 --port "${PORT:-$port}" \
            --no-proxy-headers ;;
    worker)
        # the gateway's worker is its outbox relay (identity events)
        exec python -m "$pkg.worker" ;;
    *)
        echo "Unknown DINGHUO_ROLE=$role (api, worker or migrate)." >&2
        exit 64 ;;
esac
