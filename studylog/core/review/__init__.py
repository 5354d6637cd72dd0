"""Review: FSRS scheduling, the daily queue, study sessions, settings and study days."""
