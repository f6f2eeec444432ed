"""The one layer that touches raw WordprocessingML; everything else speaks in documents and sections."""
