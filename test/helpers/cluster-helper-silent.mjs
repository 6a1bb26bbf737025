// A clustering helper (core/dreaming/cluster-helper.ts) that never answers: its thread ends at once.
