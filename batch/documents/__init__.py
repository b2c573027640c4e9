"""Documents: the invoice workbook, the Peppol UBL file, the summary workbook, CSVs, manifest."""
