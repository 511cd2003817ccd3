// The Quantization module; see ARCHITECTURE.md.
