"""UI strings in the two system languages (English, Simplified Chinese)."""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "home": ("Home", "主屏幕"),
    "settings": ("Settings", "设置"),
    "about": ("About", "关于"),
    "about_device": ("About device", "关于设备"),
    "wifi": ("Wi-Fi", "无线网络"),
    "brightness": ("Brightness", "亮度"),
    "language": ("Language", "语言"),
    "on": ("On", "开启"),
    "off": ("Off", "关闭"),
    "model": ("Model", "型号"),
    "platform": ("Platform", "平台"),
    "build": ("Build", "版本号"),
    "android": ("Android version", "安卓版本"),
    "serial": ("Serial number", "序列号"),
    "package": ("Package", "应用包名"),
    "version": ("Version", "版本"),
    "scan_build": ("Scan for build info", "扫码查看版本信息"),
    "device_name": ("Device name", "设备名称"),
    "english": ("English", "English"),
    "chinese": ("简体中文", "简体中文"),
    # the wallet (TOS+ Pay)
    "wallet": ("Wallet", "钱包"),
    "pay": ("Pay", "付款"),
    "scan": ("Scan", "扫一扫"),
    "transactions": ("Transactions", "账单"),
    "balance": ("Balance", "余额"),
    "card": ("Card", "银行卡"),
    "payment_code": ("Payment code", "付款码"),
    "show_cashier": ("Show to the cashier", "向商家出示"),
    "enter_pin": ("Enter PIN", "输入支付密码"),
    "cancel": ("Cancel", "取消"),
    "done": ("Done", "完成"),
    "paid_ok": ("Payment successful", "支付成功"),
    "paid_declined": ("Payment declined", "支付失败"),
    "amount": ("Amount", "金额"),
    "merchant": ("Merchant", "商户"),
    "reason": ("Reason", "原因"),
    "not_set_up": ("Not set up yet", "尚未开通"),
    "paying": ("Paying…", "正在付款…"),
    "offline": ("Waiting for network…", "等待网络…"),
    "confirm_pay": ("Confirm payment", "确认付款"),
    "scan_hint": ("Point the camera at a payment QR code", "将二维码放入框内"),
    "no_code": ("No QR code in view", "未发现二维码"),
    "not_payment": ("Not a payment QR code", "不是付款二维码"),
    "loading": ("Loading…", "加载中…"),
    "no_transactions": ("No transactions yet", "暂无账单"),
    "locked": ("Wallet locked: too many wrong PINs", "钱包已锁定：密码错误次数过多"),
    "insufficient_balance": ("Insufficient balance", "余额不足"),
    "wallet_locked": ("Wallet locked", "钱包已锁定"),
    "cvm_required": ("Verification required", "需要验证身份"),
    "cryptogram_invalid": ("Card error", "卡片错误"),
    "replayed": ("Card error", "卡片错误"),
    "order_already_paid": ("Order already paid", "订单已支付"),
    "order_closed": ("Order expired", "订单已过期"),
    "order_in_payment": ("Order is being paid", "订单支付中"),
    "declined_other": ("Declined", "已拒绝"),
    "wrong_pin_one": ("Wrong PIN, 1 attempt left", "密码错误，还可输入1次"),
    # the assistant
    "assistant": ("Assistant", "语音助手"),
    "listening": ("Listening…", "正在聆听…"),
    "you_said": ("You said", "您说"),
    "answer": ("Answer", "回答"),
    # the store
    "store": ("Store", "应用商店"),
    "search": ("Search", "搜索"),
    "price": ("Price", "价格"),
    "free": ("Free", "免费"),
    "installed": ("Installed", "已安装"),
    "update_available": ("Update available", "有可用更新"),
    "install": ("Install", "安装"),
    "update": ("Update", "更新"),
    "open": ("Open", "打开"),
    "uninstall": ("Uninstall", "卸载"),
    "refund": ("Refund", "退款"),
    "developer": ("Developer", "开发者"),
    "size": ("Size", "大小"),
    "status": ("Status", "状态"),
    "not_compatible": ("Not compatible with this device", "与此设备不兼容"),
    "no_apps": ("No apps found", "未找到应用"),
    "waiting_payment": ("Waiting for payment…", "等待付款…"),
    "installing": ("Installing…", "正在安装…"),
    "purchased": ("Purchased", "购买成功"),
    "refunded": ("Refunded", "已退款"),
    "uninstalled": ("Uninstalled", "已卸载"),
    "no_wallet": ("Buying needs TOS+ Pay on this device", "购买需要此设备上的TOS+支付"),
    "download_corrupt": ("Download failed: the file was damaged", "下载失败：文件已损坏"),
}

TEMPLATES: dict[str, tuple[str, str]] = {
    "wrong_pin": ("Wrong PIN, {n} attempts left", "密码错误，还可输入{n}次"),
    "pay_to": ("Pay {merchant}", "付款给{merchant}"),
    "buy_for": ("Buy {price}", "购买 {price}"),
    "downloading": ("Downloading {percent}%", "正在下载 {percent}%"),
    "offline_at": ("Waiting for network… {percent}%", "等待网络… {percent}%"),
    "failed": ("Failed: {reason}", "失败：{reason}"),
}

LANGUAGES = ("en", "zh")


def tr(key: str, language: str, **values: object) -> str:
    if key in TEMPLATES:
        english, chinese = TEMPLATES[key]
        return (chinese if language == "zh" else english).format(**values)
    english, chinese = STRINGS[key]
    return chinese if language == "zh" else english
