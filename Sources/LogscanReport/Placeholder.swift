// LogscanReport
