// The Training module; see ARCHITECTURE.md.
