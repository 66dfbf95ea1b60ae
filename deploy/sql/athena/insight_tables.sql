-- Augur's insight tables in S3 for Amazon Athena (AWS Glue Data Catalog), over the file tables the job writes with
-- tables.sink=files and tables.path=s3://YOUR-BUCKET/augur/tables: JSON lines, one folder per table, partitioned by dt
-- (yyyy-MM-dd, UTC). Replace s3://YOUR-BUCKET/augur/tables with your tables.path, e.g.
--   sed 's#s3://YOUR-BUCKET/augur/tables#s3://my-bucket/augur/tables#g' deploy/sql/athena/insight_tables.sql
-- and run each statement in the Athena query editor (in a database of your choice: CREATE DATABASE augur;).
-- Columns follow operators/src/main/java/io/augur/ops/table/Tables.java (InsightTablesDdlTest compares them).
-- Partition projection finds new days without MSCK REPAIR TABLE. Times are UTC.
-- insights, anomalies and recommendations keep every version of a row in <name>_log; the views <name> hold the newest.

CREATE EXTERNAL TABLE IF NOT EXISTS insights_log (
  `id`                    string,
  `type`                  string,
  `name`                  string,
  `description`           string,
  `severity`              string,
  `status`                string,
  `start_time`            timestamp,
  `end_time`              timestamp,
  `prediction_start`      timestamp,
  `prediction_end`        timestamp,
  `opened_at`             timestamp,
  `closed_at`             timestamp,
  `application`           string,
  `resource_collection`   string,
  `account_id`            string,
  `region`                string,
  `anomaly_count`         int,
  `recommendation_count`  int,
  `updated_at`            timestamp,
  `version`               bigint
)
PARTITIONED BY (`dt` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://YOUR-BUCKET/augur/tables/insights/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/augur/tables/insights/dt=${dt}/'
);

CREATE OR REPLACE VIEW insights AS
SELECT id, type, name, description, severity, status, start_time, end_time, prediction_start, prediction_end, opened_at, closed_at, application, resource_collection, account_id, region, anomaly_count, recommendation_count, updated_at, version
FROM (
  SELECT *, row_number() OVER (PARTITION BY id ORDER BY updated_at DESC, version DESC) AS row_num
  FROM insights_log
)
WHERE row_num = 1;

CREATE EXTERNAL TABLE IF NOT EXISTS anomalies_log (
  `id`                string,
  `insight_id`        string,
  `kind`              string,
  `type`              string,
  `severity`          string,
  `status`            string,
  `name`              string,
  `description`       string,
  `resource_arn`      string,
  `resource_type`     string,
  `resource_name`     string,
  `namespace`         string,
  `metric_name`       string,
  `stat`              string,
  `unit`              string,
  `period_seconds`    int,
  `dimensions`        string,
  `direction`         string,
  `peak_score`        double,
  `start_time`        timestamp,
  `end_time`          timestamp,
  `open_time`         timestamp,
  `close_time`        timestamp,
  `limit_value`       double,
  `prediction_start`  timestamp,
  `prediction_end`    timestamp,
  `account_id`        string,
  `region`            string,
  `revision`          int,
  `updated_at`        timestamp,
  `version`           bigint
)
PARTITIONED BY (`dt` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://YOUR-BUCKET/augur/tables/anomalies/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/augur/tables/anomalies/dt=${dt}/'
);

CREATE OR REPLACE VIEW anomalies AS
SELECT id, insight_id, kind, type, severity, status, name, description, resource_arn, resource_type, resource_name, namespace, metric_name, stat, unit, period_seconds, dimensions, direction, peak_score, start_time, end_time, open_time, close_time, limit_value, prediction_start, prediction_end, account_id, region, revision, updated_at, version
FROM (
  SELECT *, row_number() OVER (PARTITION BY id ORDER BY updated_at DESC, version DESC) AS row_num
  FROM anomalies_log
)
WHERE row_num = 1;

CREATE EXTERNAL TABLE IF NOT EXISTS insight_events (
  `id`                    string,
  `insight_id`            string,
  `message_type`          string,
  `sequence`              int,
  `severity`              string,
  `insight_type`          string,
  `insight_name`          string,
  `application`           string,
  `account_id`            string,
  `region`                string,
  `event_time`            timestamp,
  `start_time`            timestamp,
  `end_time`              timestamp,
  `anomaly_ids`           string,
  `anomaly_count`         int,
  `recommendation_count`  int,
  `body`                  string
)
PARTITIONED BY (`dt` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://YOUR-BUCKET/augur/tables/insight_events/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/augur/tables/insight_events/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS recommendations_log (
  `id`                   string,
  `insight_id`           string,
  `name`                 string,
  `description`          string,
  `reason`               string,
  `link`                 string,
  `category`             string,
  `related_anomaly_ids`  string,
  `related_events`       string,
  `updated_at`           timestamp,
  `version`              bigint
)
PARTITIONED BY (`dt` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://YOUR-BUCKET/augur/tables/recommendations/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/augur/tables/recommendations/dt=${dt}/'
);

CREATE OR REPLACE VIEW recommendations AS
SELECT id, insight_id, name, description, reason, link, category, related_anomaly_ids, related_events, updated_at, version
FROM (
  SELECT *, row_number() OVER (PARTITION BY id ORDER BY updated_at DESC, version DESC) AS row_num
  FROM recommendations_log
)
WHERE row_num = 1;

CREATE EXTERNAL TABLE IF NOT EXISTS change_events (
  `id`             string,
  `event_time`     timestamp,
  `event_source`   string,
  `name`           string,
  `data_source`    string,
  `event_class`    string,
  `account_id`     string,
  `region`         string,
  `resource_arn`   string,
  `resource_type`  string,
  `resource_name`  string,
  `resource_arns`  string,
  `error_code`     string,
  `actor`          string,
  `deployment_id`  string
)
PARTITIONED BY (`dt` string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://YOUR-BUCKET/augur/tables/change_events/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://YOUR-BUCKET/augur/tables/change_events/dt=${dt}/'
);
