// LogscanInput
