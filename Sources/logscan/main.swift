print("logscan")
