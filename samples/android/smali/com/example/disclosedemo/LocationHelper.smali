.class public final Lcom/example/disclosedemo/LocationHelper;
.super Ljava/lang/Object;
.source "LocationHelper.java"

# First-party: last known GPS fix.

.method public static lastKnown(Landroid/content/Context;)Landroid/location/Location;
    .registers 3
    const-string v0, "location"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/location/LocationManager;
    const-string v1, "gps"
    invoke-virtual {v0, v1}, Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;
    move-result-object v0
    return-object v0
.end method
