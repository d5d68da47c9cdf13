"""The two notebooks a job writes: data exploration and candidate definitions."""
