// LogscanPCRE2
