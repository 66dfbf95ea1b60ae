-- Insights that began within --param window_minutes=N (default 60) after a deployment or configuration change to one of their resources or their application.
-- A change matches when it touched a resource of one of the insight's anomalies, or names the insight's application
-- (a CodeDeploy application or a CloudFormation stack of that name).
SELECT DISTINCT i.id AS insight_id, i.name AS insight, i.severity, i.application, i.start_time,
       c.event_time AS change_time, c.event_class, c.name AS change, c.event_source,
       TIMESTAMPDIFF(MINUTE, c.event_time, i.start_time) AS minutes_before, c.id AS change_id
FROM insights i
JOIN change_events c ON c.account_id = i.account_id AND c.region = i.region
LEFT JOIN anomalies a ON a.insight_id = i.id
WHERE c.event_class IN ('DEPLOYMENT', 'CONFIG_CHANGE')
  AND c.event_time <= i.start_time
  AND c.event_time >= TIMESTAMPADD(MINUTE, -${window_minutes=60}, i.start_time)
  AND (POSITION(CONCAT(',', a.resource_arn, ',') IN CONCAT(',', c.resource_arns, ',')) > 0
       OR POSITION(CONCAT(':application:', i.application, ',') IN CONCAT(c.resource_arns, ',')) > 0
       OR POSITION(CONCAT(':stack/', i.application, '/') IN c.resource_arns) > 0)
ORDER BY i.start_time, i.id, c.event_time, c.id
