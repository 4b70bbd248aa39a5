## partner: km

## Partner replies to the network without concluding (pt-).
pt-reply = ឆ្លើយតបទៅបណ្តាញ (ការបញ្ជូនបន្តនៅដដែល)
