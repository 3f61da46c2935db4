from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        max_length=256,
        help_text=_("At least 10 characters; not a common password, not like your username, not digits only."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class PasswordAgainForm(forms.Form):
    password = forms.CharField(
        label=_("Password"), max_length=256, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("Account"), max_length=150, required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address"), max_length=64, required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    confirm = forms.BooleanField(label=_("I have checked who is asking and unlock on purpose"))


class SecondFactorResetForm(forms.Form):
    username = forms.CharField(label=_("Account"), max_length=150)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    confirm = forms.BooleanField(label=_("I have checked the holder's identity; they must set up the app again"))
