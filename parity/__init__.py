"""array-parity: where an array library differs from NumPy/SciPy and the Array API standard."""
