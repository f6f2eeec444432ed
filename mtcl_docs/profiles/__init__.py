"""Formatting profiles (thể thức): one versioned table per rule set, chosen by family and date."""

from mtcl_docs.profiles.profile import Profile, RoleStyle, pick_profile, profile_names

__all__ = ["Profile", "RoleStyle", "pick_profile", "profile_names"]
