"""The import wizard (files, options, speakers) and the anonymisation dialogs."""
