-- Augur's insight tables in PostgreSQL (tables.sink=postgres). Run once before the job starts:
--   psql "postgresql://USER@HOST:5432/augur" -f deploy/sql/postgres/001_insight_tables.sql
-- Columns follow operators/src/main/java/io/augur/ops/table/Tables.java (InsightTablesDdlTest compares them).
-- Times are UTC, as timestamp without time zone. The job writes through Flink's JDBC connector with primary key id:
-- every row is an upsert (INSERT ... ON CONFLICT (id) DO UPDATE), so replaying the same input is idempotent.
-- insights, anomalies and recommendations get a new version of their row as they change; a trigger keeps a row from
-- going back to an older (updated_at, version).

CREATE TABLE IF NOT EXISTS insights (
  id                   text PRIMARY KEY,
  type                 text,
  name                 text,
  description          text,
  severity             text,
  status               text,
  start_time           timestamp(3),
  end_time             timestamp(3),
  prediction_start     timestamp(3),
  prediction_end       timestamp(3),
  opened_at            timestamp(3),
  closed_at            timestamp(3),
  application          text,
  resource_collection  text,
  account_id           text,
  region               text,
  anomaly_count        integer,
  recommendation_count integer,
  updated_at           timestamp(3),
  version              bigint
);

CREATE TABLE IF NOT EXISTS anomalies (
  id               text PRIMARY KEY,
  insight_id       text,
  kind             text,
  type             text,
  severity         text,
  status           text,
  name             text,
  description      text,
  resource_arn     text,
  resource_type    text,
  resource_name    text,
  namespace        text,
  metric_name      text,
  stat             text,
  unit             text,
  period_seconds   integer,
  dimensions       text,
  direction        text,
  peak_score       double precision,
  start_time       timestamp(3),
  end_time         timestamp(3),
  open_time        timestamp(3),
  close_time       timestamp(3),
  limit_value      double precision,
  prediction_start timestamp(3),
  prediction_end   timestamp(3),
  account_id       text,
  region           text,
  revision         integer,
  updated_at       timestamp(3),
  version          bigint
);

CREATE TABLE IF NOT EXISTS insight_events (
  id                   text PRIMARY KEY,
  insight_id           text,
  message_type         text,
  sequence             integer,
  severity             text,
  insight_type         text,
  insight_name         text,
  application          text,
  account_id           text,
  region               text,
  event_time           timestamp(3),
  start_time           timestamp(3),
  end_time             timestamp(3),
  anomaly_ids          text,
  anomaly_count        integer,
  recommendation_count integer,
  body                 text
);

CREATE TABLE IF NOT EXISTS recommendations (
  id                  text PRIMARY KEY,
  insight_id          text,
  name                text,
  description         text,
  reason              text,
  link                text,
  category            text,
  related_anomaly_ids text,
  related_events      text,
  updated_at          timestamp(3),
  version             bigint
);

CREATE TABLE IF NOT EXISTS change_events (
  id            text PRIMARY KEY,
  event_time    timestamp(3),
  event_source  text,
  name          text,
  data_source   text,
  event_class   text,
  account_id    text,
  region        text,
  resource_arn  text,
  resource_type text,
  resource_name text,
  resource_arns text,
  error_code    text,
  actor         text,
  deployment_id text
);

-- Indexes for the named queries (augur query --list) and the usual dashboards.
CREATE INDEX IF NOT EXISTS insights_status_severity ON insights (status, severity, start_time);
CREATE INDEX IF NOT EXISTS insights_application ON insights (application, start_time);
CREATE INDEX IF NOT EXISTS insights_type_status_prediction ON insights (type, status, prediction_start);
CREATE INDEX IF NOT EXISTS anomalies_insight ON anomalies (insight_id);
CREATE INDEX IF NOT EXISTS anomalies_resource ON anomalies (resource_arn, start_time);
CREATE INDEX IF NOT EXISTS insight_events_insight ON insight_events (insight_id, sequence);
CREATE INDEX IF NOT EXISTS insight_events_time ON insight_events (event_time);
CREATE INDEX IF NOT EXISTS recommendations_insight ON recommendations (insight_id);
CREATE INDEX IF NOT EXISTS change_events_class_time ON change_events (event_class, event_time);
CREATE INDEX IF NOT EXISTS change_events_resource ON change_events (resource_arn, event_time);

-- A row never goes back to an older version (e.g. when an older replay is written into the same database).
CREATE OR REPLACE FUNCTION augur_keep_newest_version() RETURNS trigger AS $$
BEGIN
  IF (NEW.updated_at, NEW.version) < (OLD.updated_at, OLD.version) THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS insights_keep_newest ON insights;
CREATE TRIGGER insights_keep_newest BEFORE UPDATE ON insights FOR EACH ROW EXECUTE FUNCTION augur_keep_newest_version();
DROP TRIGGER IF EXISTS anomalies_keep_newest ON anomalies;
CREATE TRIGGER anomalies_keep_newest BEFORE UPDATE ON anomalies FOR EACH ROW EXECUTE FUNCTION augur_keep_newest_version();
DROP TRIGGER IF EXISTS recommendations_keep_newest ON recommendations;
CREATE TRIGGER recommendations_keep_newest BEFORE UPDATE ON recommendations FOR EACH ROW EXECUTE FUNCTION augur_keep_newest_version();
