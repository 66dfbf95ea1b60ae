-- Resources with the most anomalies (--param limit=N, default 20), with the insights they were part of.
SELECT resource_arn, resource_type,
       COUNT(*) AS anomalies,
       COUNT(DISTINCT insight_id) AS insights,
       SUM(CASE WHEN severity = 'HIGH' THEN 1 ELSE 0 END) AS high,
       MAX(start_time) AS last_anomaly
FROM anomalies
GROUP BY resource_arn, resource_type
ORDER BY anomalies DESC, high DESC, resource_arn
LIMIT ${limit=20}
