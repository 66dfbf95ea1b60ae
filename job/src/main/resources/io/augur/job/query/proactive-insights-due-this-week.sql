-- Open proactive insights whose limit may be reached within 7 days of now: the newest insight event in the tables (a live job: about now; a replay: its end), or --param now='yyyy-MM-dd HH:mm:ss'.
-- The prediction range is the insight's, or else the earliest of its proactive anomalies'.
SELECT i.id, i.name, i.severity, i.application,
       COALESCE(i.prediction_start, a.prediction_start) AS limit_earliest,
       COALESCE(i.prediction_end, a.prediction_end) AS limit_latest,
       TIMESTAMPDIFF(HOUR, clock.now, COALESCE(i.prediction_start, a.prediction_start)) AS hours_left
FROM insights i
CROSS JOIN (
  SELECT COALESCE(CAST(NULLIF('${now=}', '') AS TIMESTAMP(3)), MAX(event_time)) AS now FROM insight_events
) clock
LEFT JOIN (
  SELECT insight_id, MIN(prediction_start) AS prediction_start, MAX(prediction_end) AS prediction_end
  FROM anomalies WHERE kind = 'PROACTIVE' GROUP BY insight_id
) a ON a.insight_id = i.id
WHERE i.type = 'PROACTIVE' AND i.status = 'ONGOING'
  AND COALESCE(i.prediction_start, a.prediction_start) < TIMESTAMPADD(DAY, 7, clock.now)
ORDER BY limit_earliest, i.id
