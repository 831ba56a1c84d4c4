# Open data downloads and performance.gov's CX data API (built in the public-site issue).
app_name = "data"
urlpatterns = []
