# The public HISP pages (/cx/hisps/, /cx/agencies/, /cx/data/) are built in the public-site issue.
app_name = "hisps"
urlpatterns = []
