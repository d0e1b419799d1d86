"""Open311 GeoReport v2: the API's use cases. Services are the fields of the
organisation data; requests are cases. Reads come only from what the public
results show (the public record, or a case's whitelisted status); writes go
through the same intake as the web form."""
