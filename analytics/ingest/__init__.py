"""Reading evaluation reports (text and .docx) into the figures and scores they state."""
