UPDATE actors SET discoverable = FALSE WHERE local;
