.class public Lcom/example/disclosedemo/DemoApplication;
.super Landroid/app/Application;
.source "DemoApplication.java"

# Initialises the four SDKs at start-up, the way real apps do.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Application;-><init>()V
    return-void
.end method

.method public onCreate()V
    .registers 6
    invoke-super {p0}, Landroid/app/Application;->onCreate()V
    const-string v0, "5f8d3c2a1b9e4d0001a2b3c4"
    const-string v1, "official"
    const/4 v2, 0x1
    const-string v3, ""
    invoke-static {p0, v0, v1, v2, v3}, Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V
    invoke-static {p0}, Lcn/jpush/android/api/JPushInterface;->init(Landroid/content/Context;)V
    const-string v0, "a1b2c3d4e5"
    const/4 v1, 0x0
    invoke-static {p0, v0, v1}, Lcom/tencent/bugly/crashreport/CrashReport;->initCrashReport(Landroid/content/Context;Ljava/lang/String;Z)V
    new-instance v0, Lcom/amap/api/location/AMapLocationClient;
    invoke-direct {v0, p0}, Lcom/amap/api/location/AMapLocationClient;-><init>(Landroid/content/Context;)V
    invoke-virtual {v0}, Lcom/amap/api/location/AMapLocationClient;->startLocation()V
    return-void
.end method
