"""Hydromet: stations, observations (QC-flagged), the logger push endpoint, technical alarms."""
