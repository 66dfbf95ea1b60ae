-- Mean time to recover per application: closed reactive insights, minutes from start to end.
SELECT application,
       COUNT(*) AS closed_insights,
       ROUND(AVG(CAST(TIMESTAMPDIFF(SECOND, start_time, end_time) AS DOUBLE)) / 60, 1) AS mttr_minutes,
       ROUND(MAX(CAST(TIMESTAMPDIFF(SECOND, start_time, end_time) AS DOUBLE)) / 60, 1) AS longest_minutes
FROM insights
WHERE status = 'CLOSED' AND type = 'REACTIVE' AND end_time IS NOT NULL
GROUP BY application
ORDER BY mttr_minutes DESC, application
