"""Pages for people: server-rendered templates (htmx for the small live parts) over the same
selectors and services as the API. Every write a page makes is a service call the API makes too."""
