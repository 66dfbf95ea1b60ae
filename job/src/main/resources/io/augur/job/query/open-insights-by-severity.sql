-- Open insights, worst first: HIGH, MEDIUM, LOW, then the oldest.
SELECT severity, id, name, type, application, start_time, anomaly_count, recommendation_count
FROM insights
WHERE status = 'ONGOING'
ORDER BY CASE severity WHEN 'HIGH' THEN 0 WHEN 'MEDIUM' THEN 1 ELSE 2 END, start_time, id
