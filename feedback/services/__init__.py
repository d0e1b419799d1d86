"""Use cases. Each public function owns its transaction and commits once."""
