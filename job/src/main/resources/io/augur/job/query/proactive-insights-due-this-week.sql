-- Open proactive insights whose limit may be reached within 7 days of --param now='yyyy-MM-dd HH:mm:ss' (default: the current UTC time).
-- The prediction range is the insight's, or else the earliest of its proactive anomalies'.
SELECT i.id, i.name, i.severity, i.application,
       COALESCE(i.prediction_start, a.prediction_start) AS limit_earliest,
       COALESCE(i.prediction_end, a.prediction_end) AS limit_latest,
       TIMESTAMPDIFF(HOUR, TIMESTAMP '${now}', COALESCE(i.prediction_start, a.prediction_start)) AS hours_left
FROM insights i
LEFT JOIN (
  SELECT insight_id, MIN(prediction_start) AS prediction_start, MAX(prediction_end) AS prediction_end
  FROM anomalies WHERE kind = 'PROACTIVE' GROUP BY insight_id
) a ON a.insight_id = i.id
WHERE i.type = 'PROACTIVE' AND i.status = 'ONGOING'
  AND COALESCE(i.prediction_start, a.prediction_start) < TIMESTAMP '${now}' + INTERVAL '7' DAY
ORDER BY limit_earliest, i.id
