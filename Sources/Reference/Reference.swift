// The Reference module; see ARCHITECTURE.md.
