-- Run once by the postgres image on an empty data directory
-- (/docker-entrypoint-initdb.d). `python tools/system.py setup` also creates any database
-- that is missing, then migrates each one.
CREATE DATABASE dinghuo_gateway;
CREATE DATABASE dinghuo_customer;
CREATE DATABASE dinghuo_order;
CREATE DATABASE dinghuo_invoice;
CREATE DATABASE dinghuo_points;
CREATE DATABASE dinghuo_servicedesk;
CREATE DATABASE dinghuo_notify;
