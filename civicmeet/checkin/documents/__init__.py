"""The meeting's documents as PDF (WeasyPrint) and XLSX: badges, the attendance list,
certificates of attendance, the caterer's sheet and the participant's ticket."""
