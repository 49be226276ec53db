"""Writes ip_ranges.csv: a made-up IPv4 range table for the CDN example (not real geolocation).

Every public /8 is cut into four /10 ranges, each given a province; busy provinces get more
ranges. 10/8, 127/8, 172/8 and 192/8 are left out, so a few addresses resolve to "unknown".
Run it again only to change the table: the example and its tests read the CSV.
"""
import csv
import os
import random

PROVINCES = {
    "Guangdong": 9, "Beijing": 7, "Shanghai": 7, "Zhejiang": 6, "Jiangsu": 6, "Shandong": 4,
    "Sichuan": 4, "Henan": 3, "Hubei": 3, "Fujian": 3, "Hunan": 2, "Hebei": 2, "Anhui": 2,
    "Liaoning": 2, "Shaanxi": 2, "Chongqing": 2, "Tianjin": 2, "Yunnan": 1, "Guangxi": 1,
    "Jiangxi": 1, "Shanxi": 1, "Heilongjiang": 1, "Jilin": 1, "Guizhou": 1, "Xinjiang": 1,
    "Inner Mongolia": 1, "Gansu": 1, "Hainan": 1, "Ningxia": 1, "Qinghai": 1, "Tibet": 1,
}
UNASSIGNED_FIRST_OCTETS = {10, 127, 172, 192}


def main():
    rng = random.Random(20190312)
    names = list(PROVINCES)
    weights = [PROVINCES[n] for n in names]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ip_ranges.csv")
    with open(path, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["start_ip", "end_ip", "province"])
        for a in range(1, 224):
            if a in UNASSIGNED_FIRST_OCTETS:
                continue
            for quarter in range(4):
                province = rng.choices(names, weights)[0]
                out.writerow([f"{a}.{quarter * 64}.0.0", f"{a}.{quarter * 64 + 63}.255.255", province])


if __name__ == "__main__":
    main()
