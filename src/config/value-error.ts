// A value converter's complaint (Python's ValueError in datatypes.py); the loader adds file, line,
// section and key.

export class ValueError extends Error {}
