"""The daily retention sweep: inactive accounts warned then erased, old results and logs purged."""
