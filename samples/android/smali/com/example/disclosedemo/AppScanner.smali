.class public final Lcom/example/disclosedemo/AppScanner;
.super Ljava/lang/Object;
.source "AppScanner.java"

# First-party: the list of installed apps.

.method public static installedPackages(Landroid/content/Context;)Ljava/util/List;
    .registers 3
    invoke-virtual {p0}, Landroid/content/Context;->getPackageManager()Landroid/content/pm/PackageManager;
    move-result-object v0
    const/4 v1, 0x0
    invoke-virtual {v0, v1}, Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;
    move-result-object v0
    return-object v0
.end method
