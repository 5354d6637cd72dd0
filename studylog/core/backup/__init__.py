"""Getting a journal out and back: backups, restores, safety copies, the doctor's check
and the JSON export."""
