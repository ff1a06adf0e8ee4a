-- One database per service, plus the HTTP ingress's. The postgres image runs this once, when it
-- initialises an empty data volume (docker compose down -v starts over).
CREATE DATABASE profiles;
CREATE DATABASE points_ledger;
CREATE DATABASE surveys;
CREATE DATABASE complaints;
CREATE DATABASE churn_watcher;
CREATE DATABASE ingress;
