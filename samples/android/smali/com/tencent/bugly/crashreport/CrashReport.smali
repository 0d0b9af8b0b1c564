.class public Lcom/tencent/bugly/crashreport/CrashReport;
.super Ljava/lang/Object;
.source "CrashReport.java"

# Imitates Tencent Bugly (the SDK the demo policy does not name): reads Build.SERIAL and the
# running processes.

.method public static initCrashReport(Landroid/content/Context;Ljava/lang/String;Z)V
    .registers 5
    sget-object v0, Landroid/os/Build;->SERIAL:Ljava/lang/String;
    const-string v0, "activity"
    invoke-virtual {p0, v0}, Landroid/content/Context;->getSystemService(Ljava/lang/String;)Ljava/lang/Object;
    move-result-object v0
    check-cast v0, Landroid/app/ActivityManager;
    invoke-virtual {v0}, Landroid/app/ActivityManager;->getRunningAppProcesses()Ljava/util/List;
    return-void
.end method
