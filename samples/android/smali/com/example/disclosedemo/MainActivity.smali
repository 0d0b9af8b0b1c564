.class public Lcom/example/disclosedemo/MainActivity;
.super Landroid/app/Activity;
.source "MainActivity.java"

# The launcher screen: first-party code that reads identifiers, location, installed apps and
# the clipboard through the helper classes below.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 3
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    invoke-static {p0}, Lcom/example/disclosedemo/DeviceInfo;->deviceId(Landroid/content/Context;)Ljava/lang/String;
    invoke-static {p0}, Lcom/example/disclosedemo/DeviceInfo;->androidId(Landroid/content/Context;)Ljava/lang/String;
    invoke-static {p0}, Lcom/example/disclosedemo/DeviceInfo;->macAddress(Landroid/content/Context;)Ljava/lang/String;
    invoke-static {p0}, Lcom/example/disclosedemo/AppScanner;->installedPackages(Landroid/content/Context;)Ljava/util/List;
    invoke-static {p0}, Lcom/example/disclosedemo/LocationHelper;->lastKnown(Landroid/content/Context;)Landroid/location/Location;
    invoke-static {p0}, Lcom/example/disclosedemo/ClipboardReader;->read(Landroid/content/Context;)Landroid/content/ClipData;
    return-void
.end method
