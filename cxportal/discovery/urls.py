# Site search, feeds, sitemap and robots.txt (built in the public-site issue).
app_name = "discovery"
urlpatterns = []
