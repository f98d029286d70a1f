// The hosted pages' built-in stylesheet. Colours meet WCAG AA: body text #111827 and hints
// #4b5563 on white (17.7:1, 7.6:1; the hints 7.0:1 on the #f3f4f6 page), white on the primary #1d4ed8 (6.7:1), the error text
// #991b1b on #fef2f2 (7.9:1), input borders #6b7280 (4.8:1, above the 3:1 for controls).

#include "hosted/page_shell.h"

namespace cognate::hosted::internal {

std::string_view BuiltInCss() {
  return R"css(*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;min-height:100vh;display:flex;justify-content:center;align-items:flex-start;padding:64px 16px;background:#f3f4f6;color:#111827;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif}
.card{width:100%;max-width:420px;background:#fff;border:1px solid #e5e7eb;border-radius:12px;box-shadow:0 1px 2px rgba(17,24,39,.05),0 10px 30px rgba(17,24,39,.07);padding:40px 36px 32px}
.banner{text-align:center;margin:0 0 20px}
.logo{display:inline-block;max-width:200px;max-height:72px;height:auto}
h1{margin:0 0 24px;font-size:1.5rem;line-height:1.3;font-weight:650;letter-spacing:-.01em;text-align:center;text-wrap:balance}
p{margin:0 0 16px}
.lead{color:#4b5563;text-align:center;margin:-12px 0 24px}
.field{margin:0 0 18px}
label,legend{display:block;margin:0 0 6px;padding:0;font-size:.9375rem;font-weight:600}
legend{margin-bottom:10px}
.optional{font-weight:400;color:#4b5563}
.hint{margin:-2px 0 6px;font-size:.875rem;color:#4b5563}
.steps .after-qr{margin:14px 0 6px}
input[type=text],input[type=email],input[type=password],input[type=tel],input[type=date],input[type=number],input[type=url]{display:block;width:100%;min-height:44px;padding:10px 12px;font:inherit;color:#111827;background:#fff;border:1px solid #6b7280;border-radius:8px;transition:border-color .15s,box-shadow .15s}
input:focus{outline:3px solid #93b4f5;outline-offset:0;border-color:#1d4ed8}
input.code{font-size:1.25rem;letter-spacing:.25em;text-align:center;font-variant-numeric:tabular-nums}
.rules{margin:8px 0 0;padding:0 0 0 20px;font-size:.875rem;color:#4b5563}
.rules li{margin:2px 0}
.button{display:flex;align-items:center;justify-content:center;gap:8px;width:100%;min-height:46px;margin:8px 0 0;padding:10px 16px;font:inherit;font-weight:600;line-height:1.25;text-align:center;text-decoration:none;border-radius:8px;cursor:pointer}
.primary{color:#fff;background:#1d4ed8;border:1px solid #1d4ed8}
.primary:hover{background:#1e40af;border-color:#1e40af}
.secondary{color:#111827;background:#fff;border:1px solid #9ca3af}
.secondary:hover{background:#f9fafb;border-color:#6b7280}
.button+.button{margin-top:10px}
button:focus-visible,a:focus-visible,summary:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
input[type=radio]:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
a{color:#1d4ed8;text-underline-offset:2px}
a:hover{color:#1e3a8a}
.error,.notice{margin:0 0 20px;padding:12px 14px;border-radius:8px;font-size:.9375rem}
.error{color:#991b1b;background:#fef2f2;border:1px solid #fecaca;border-left:4px solid #b91c1c}
.notice{color:#1e3a8a;background:#eff6ff;border:1px solid #bfdbfe;border-left:4px solid #1d4ed8}
.divider{display:flex;align-items:center;gap:12px;margin:24px 0;color:#4b5563;font-size:.875rem}
.divider::before,.divider::after{content:"";flex:1;border-top:1px solid #e5e7eb}
.links{list-style:none;margin:24px 0 0;padding:20px 0 0;border-top:1px solid #e5e7eb;text-align:center;font-size:.9375rem}
.links li+li{margin-top:8px}
fieldset{margin:0 0 18px;padding:0;border:0;min-width:0}
.choice{display:flex;align-items:center;gap:12px;margin:0 0 10px;padding:14px 16px;border:1px solid #d1d5db;border-radius:8px;font-weight:500;cursor:pointer}
.choice:hover{border-color:#6b7280}
.choice:has(input:checked){border-color:#1d4ed8;background:#eff6ff}
.choice input{width:20px;height:20px;margin:0;accent-color:#1d4ed8;flex:none}
.choice label{margin:0;font-weight:500;cursor:pointer;flex:1}
.steps{margin:0 0 20px;padding:0;list-style:none;counter-reset:step}
.steps>li{counter-increment:step;position:relative;padding:0 0 0 36px;margin:0 0 24px}
.steps p{margin:0}
.steps>li::before{content:counter(step);position:absolute;left:0;top:0;width:24px;height:24px;border-radius:50%;background:#1d4ed8;color:#fff;font-size:.8125rem;font-weight:700;line-height:24px;text-align:center}
.steps>li:last-child{margin-bottom:0}
.qr{display:block;width:176px;height:176px;margin:12px 0 0;border:1px solid #e5e7eb;border-radius:8px}
.secret{display:block;margin:8px 0 0;padding:10px 12px;background:#f3f4f6;border-radius:8px;font:600 1.0625rem/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;letter-spacing:.04em;word-spacing:.1em;overflow-wrap:anywhere}
details{margin:10px 0 0;font-size:.875rem}
summary{cursor:pointer;color:#1d4ed8}
.uri{display:block;margin:6px 0 0;padding:8px 10px;background:#f3f4f6;border-radius:6px;font:.8125rem/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;overflow-wrap:anywhere;user-select:all}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
@media (max-width:480px){body{padding:0;background:#fff}.card{max-width:none;min-height:100vh;border:0;border-radius:0;box-shadow:none;padding:32px 20px}}
@media (prefers-reduced-motion:reduce){*{transition:none!important}})css";
}

}  // namespace cognate::hosted::internal
