"""Operations: incidents and their append-only logbook (the duty officer's record of the response)."""
