"""Rotation Radar: is money rotating from mega-caps into small caps, and is the Fed helping it?"""
